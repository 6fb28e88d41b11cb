// Package attack makes cards misbehave on purpose, for the kernel's tests
// and the certification harness: a Transport wraps any apdu.Transport (the
// simulated card, a PC/SC reader, a replayed trace) and, as its rules say,
// rewrites commands, answers in the card's place, edits responses or
// fails.
//
// # Attacks
//
// The published attacks each have a constructor that returns the rules
// as data:
//
//   - Wedge: VERIFY answered 9000 without reaching the card (Murdoch,
//     Drimer, Anderson, Bond, "Chip and PIN is Broken", IEEE S&P 2010).
//   - BrandMixup and DFNameSwap: one brand's AID presented with another
//     brand's application and PAN (Basin, Sasse, Toro-Pozo, "Card Brand
//     Mixup Attack", USENIX Security 2021).
//   - StripCDA, WithoutCDA, AIPDowngrade: the CDA signature removed, the
//     CDA request cleared, format 1 answers, AIP bits cleared.
//   - ChangeRecord: a record that differs after offline data
//     authentication read it.
//   - GetResponseForever: 61xx for ever.
//   - RemoveAt, FaultAt: the card removed at APDU N; a transport error,
//     a bare status word, garbage, a short or empty response, or no answer
//     at all at APDU N.
//
// Oversized, duplicated and malformed objects are response edits
// (oversize, duplicate, overrun, truncate, append).
//
// # Rules
//
// A Rule is a Match (which commands) and an Action (what to do). The JSON
// form puts both side by side; hex strings carry bytes. A harness case
// holds an array of rules (ParseRules also takes a single object):
//
//	[
//	  {"at": 5, "fault": "6F00"},
//	  {"name": "wedge", "ins": "20", "answer": "9000"},
//	  {"ins": "AE", "strip": ["9F4B"]},
//	  {"ins": "AE", "clear_p1": "10", "format1": true},
//	  {"ins": "A8", "clear_aip": "2100"},
//	  {"ins": "B2", "p1": "01", "p2": "14", "from_nth": 2,
//	   "set": [{"tag": "5F24", "value": "301231"}]},
//	  {"ins": "A4", "p1": "04", "data": "A00000002501", "set_data": "A000000333010102"},
//	  {"replace_aid": {"from": "A000000333010102", "to": "A00000002501"}},
//	  {"ins": "B2", "nth": 1, "duplicate": ["5A"], "oversize": ["5F20"]},
//	  {"ins": "C0", "answer": "6110"},
//	  {"at": 9, "fault": "removed"}
//	]
//
// Match fields (all optional; all that are set must hold):
//
//	cla, ins, p1, p2   one byte of the header ("A4")
//	data, data_prefix  the command data equals / starts with these bytes
//	at, from           the position of the command (the first is 1) is / is at least this
//	nth, from_nth      the rule's own count of commands that met the conditions above
//	times              fire at most this many times
//
// Action fields, command side: clear_p1 (bits cleared in P1), set_data
// (new command data). In place of the card: answer (a whole response,
// data and status word), fault ("error", "removed", "hang", "garbage",
// "short", "empty", or a status word such as "6F00"), garbage (the bytes
// of the fault "garbage"), forward (the card processes the command first,
// then its response is replaced). Response edits, in this order:
// replace_aid {from, to}, set [{tag, value}], xor [{tag, value}],
// clear_aip, strip [tags], format1, duplicate [tags], oversize [tags]
// with oversize_len (255 by default), then overrun (a tag), truncate (a
// number of bytes), append (bytes), sw (a status word).
//
// Every rule whose Match holds fires, in the order of the list. What each
// did is kept as Events, for a harness report ("APDU 7 (CDA stripping):
// [stripped 9F4B]"); the command data is never kept, since it may hold a
// PIN block.
//
// # Errors
//
// Failures made by a rule are *FaultError values giving the APDU
// position, wrapping ErrCardRemoved, ErrInjected or ErrNoAnswer (the last
// together with the context's error). Rules that cannot be used are
// *RuleError values wrapping ErrRule.
package attack
