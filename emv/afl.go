package emv

import (
	"errors"
	"fmt"
)

// ErrAFL is wrapped by every error about a malformed Application File
// Locator. EMV Book 3 §10.2 terminates the transaction on any of them.
var ErrAFL = errors.New("emv: malformed application file locator")

// AFLEntry is one four-byte entry of the Application File Locator (94):
// a short file identifier, the first and last record to read, and how many
// records from the first one take part in offline data authentication.
type AFLEntry struct {
	SFI      int
	First    int
	Last     int
	ODACount int
}

// ParseAFL parses the value of tag 94 and checks each entry as EMV Book 3
// §10.2 requires: SFI 1–30 with the low three bits of byte 1 zero, first
// record not 0, last record not below the first, and no more ODA records
// than records in the entry.
func ParseAFL(b []byte) ([]AFLEntry, error) {
	if len(b) == 0 || len(b)%4 != 0 {
		return nil, fmt.Errorf("%w: length %d is not a non-zero multiple of 4", ErrAFL, len(b))
	}
	out, err := AppendAFL(make([]AFLEntry, 0, len(b)/4), b)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// AppendAFL is ParseAFL appending the entries to dst, for a caller that
// parses an AFL into a buffer of its own (on its stack) rather than a new
// slice. On error it returns dst as it was.
func AppendAFL(dst []AFLEntry, b []byte) ([]AFLEntry, error) {
	if len(b) == 0 || len(b)%4 != 0 {
		return dst, fmt.Errorf("%w: length %d is not a non-zero multiple of 4", ErrAFL, len(b))
	}
	out := dst
	for i := 0; i < len(b); i += 4 {
		e := AFLEntry{SFI: int(b[i] >> 3), First: int(b[i+1]), Last: int(b[i+2]), ODACount: int(b[i+3])}
		switch {
		case b[i]&0x07 != 0:
			return dst, fmt.Errorf("%w: entry %d: byte 1 %02X has low bits set", ErrAFL, i/4+1, b[i])
		case e.SFI < 1 || e.SFI > 30:
			return dst, fmt.Errorf("%w: entry %d: SFI %d is outside 1–30", ErrAFL, i/4+1, e.SFI)
		case e.First == 0:
			return dst, fmt.Errorf("%w: entry %d: first record is 0", ErrAFL, i/4+1)
		case e.Last < e.First:
			return dst, fmt.Errorf("%w: entry %d: last record %d is before first %d", ErrAFL, i/4+1, e.Last, e.First)
		case e.ODACount > e.Last-e.First+1:
			return dst, fmt.Errorf("%w: entry %d: %d ODA records but only %d records", ErrAFL, i/4+1, e.ODACount, e.Last-e.First+1)
		}
		out = append(out, e)
	}
	return out, nil
}

// IsODA reports whether record rec of this entry takes part in offline data
// authentication: the first ODACount records of the entry do.
func (e AFLEntry) IsODA(rec int) bool {
	return rec >= e.First && rec < e.First+e.ODACount
}

// Bytes returns the entry's four-byte encoding.
func (e AFLEntry) Bytes() []byte {
	return []byte{byte(e.SFI << 3), byte(e.First), byte(e.Last), byte(e.ODACount)}
}

// ODARecord returns what a record contributes to the static data to be
// authenticated (EMV Book 3 §10.3): for SFI 1–10 the value of its template
// 70, which must be the record's only object; for SFI 11–30 the whole
// record as read. A record that breaks the rule is an error: the caller
// sets "SDA failed" / "ODA failed" as the case may be.
func ODARecord(sfi int, record []byte) ([]byte, error) {
	if sfi > 10 {
		return record, nil
	}
	s := Scanner(record)
	var v []byte
	// No padding may precede the template: the record must be a 70.
	if len(record) == 0 || record[0] != 0x70 || !s.ReadTagged(0x70, &v) {
		return nil, fmt.Errorf("emv: ODA record in SFI %d is not a template 70", sfi)
	}
	if len(s) != 0 {
		return nil, fmt.Errorf("emv: ODA record in SFI %d has %d bytes after its template 70", sfi, len(s))
	}
	return v, nil
}
