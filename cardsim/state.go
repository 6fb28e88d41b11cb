package cardsim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// StateFormat names the state file format.
const StateFormat = "yixin-card-state/1"

// ErrState is wrapped by errors about a state file that cannot be used:
// malformed, or belonging to another card.
var ErrState = errors.New("cardsim: bad card state")

// State is what a card keeps in non-volatile memory and changes while it
// works: counters, the PIN try counter, blocked flags, and what issuer
// scripts changed. It is saved after every change, before the card
// answers the command that made it.
type State struct {
	Format string `json:"format"`
	// CardID is the CardFile's ID: a state belongs to one card.
	CardID string `json:"card_id"`
	// Generation counts saves.
	Generation  uint64 `json:"generation"`
	CardBlocked bool   `json:"card_blocked,omitempty"`
	// Apps holds each application's state by AID (hex).
	Apps map[string]*AppState `json:"applications"`
}

// AppState is the non-volatile state of one application.
type AppState struct {
	ATC           uint16 `json:"atc"`
	LastOnlineATC uint16 `json:"last_online_atc"`
	PINTries      int    `json:"pin_tries"`
	// PIN is the current reference PIN when an issuer script changed it;
	// empty means the personalised one.
	PIN     string `json:"pin,omitempty"`
	Blocked bool   `json:"blocked,omitempty"`

	// Offline counters: consecutive transactions approved offline since
	// the last online one, and their cumulative amount in minor units.
	OfflineCount  int   `json:"offline_count"`
	OfflineAmount int64 `json:"offline_amount"`

	// Indicators carried from one transaction to the next.
	LastOnlineNotCompleted     bool `json:"last_online_not_completed,omitempty"`
	IssuerAuthFailedLast       bool `json:"issuer_auth_failed_last,omitempty"`
	IssuerAuthNotPerformedLast bool `json:"issuer_auth_not_performed_last,omitempty"`
	SDAFailedLast              bool `json:"sda_failed_last,omitempty"`
	DDAFailedLast              bool `json:"dda_failed_last,omitempty"`
	GoOnlineNext               bool `json:"go_online_next,omitempty"`

	// Issuer script results of the last online transaction (the one in
	// progress once it has asked to go online): the number of commands
	// processed with secure messaging, and whether one failed.
	ScriptsLast      int  `json:"scripts_last,omitempty"`
	ScriptFailedLast bool `json:"script_failed_last,omitempty"`

	// Data holds values changed by PUT DATA, by tag; Records records
	// changed by UPDATE RECORD, by "SFI/record".
	Data    map[string]HexBytes `json:"data,omitempty"`
	Records map[string]HexBytes `json:"records,omitempty"`
}

// clone returns a deep copy of the state.
func (s *State) clone() *State {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err) // a State always marshals
	}
	var c State
	if err := json.Unmarshal(b, &c); err != nil {
		panic(err)
	}
	return &c
}

// Store keeps a card's State. Save must be atomic: after a crash at any
// moment, Load returns either the state before Save or the state it saved.
type Store interface {
	// Load returns the saved state, or an error wrapping fs.ErrNotExist
	// when nothing was saved yet.
	Load() (*State, error)
	// Save replaces the saved state.
	Save(*State) error
}

// MemoryStore keeps the state in memory, for tests and examples. It keeps
// an encoded copy, so that the card's later changes do not reach it
// without a Save. The zero value is empty and ready to use.
type MemoryStore struct {
	mu   sync.Mutex
	data []byte
}

// Load returns a copy of the last saved state.
func (m *MemoryStore) Load() (*State, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.data == nil {
		return nil, fmt.Errorf("cardsim: memory store: %w", fs.ErrNotExist)
	}
	return decodeState(m.data, "memory store")
}

// Save keeps a copy of st.
func (m *MemoryStore) Save(st *State) error {
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	m.mu.Lock()
	m.data = b
	m.mu.Unlock()
	return nil
}

// FileStore keeps the state in a JSON file that a crash cannot corrupt:
// Save writes a temporary file in the same directory, flushes it to disk
// (fsync), renames it over the state file — an atomic replacement on POSIX
// file systems — and flushes the directory so that the rename itself
// survives a power cut. Only one process may use a state file at a time.
type FileStore struct {
	Path string
}

// tempPrefix is the prefix of FileStore's temporary files.
func (f *FileStore) tempPrefix() string { return "." + filepath.Base(f.Path) + ".tmp-" }

// Load reads the state file. Temporary files left by a crash in the
// middle of a Save are removed: the rename never happened, so the state
// file still holds the previous state.
func (f *FileStore) Load() (*State, error) {
	f.removeLeftovers()
	b, err := os.ReadFile(f.Path)
	if err != nil {
		return nil, fmt.Errorf("cardsim: reading state: %w", err)
	}
	return decodeState(b, f.Path)
}

func (f *FileStore) removeLeftovers() {
	dir := filepath.Dir(f.Path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), f.tempPrefix()) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// Save writes st atomically and durably (see FileStore).
func (f *FileStore) Save(st *State) error {
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	dir := filepath.Dir(f.Path)
	tmp, err := os.CreateTemp(dir, f.tempPrefix()+"*")
	if err != nil {
		return fmt.Errorf("cardsim: saving state: %w", err)
	}
	if err := writeSync(tmp, b); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("cardsim: saving state: %w", err)
	}
	if err := os.Rename(tmp.Name(), f.Path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("cardsim: saving state: %w", err)
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("cardsim: saving state: flushing directory %s: %w", dir, err)
	}
	return nil
}

// writeSync writes b to f, flushes it to stable storage and closes it.
func writeSync(f *os.File, b []byte) error {
	_, err := f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir flushes a directory, so that a rename in it is durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// decodeState parses a saved state strictly.
func decodeState(b []byte, where string) (*State, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var st State
	if err := dec.Decode(&st); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrState, where, err)
	}
	if st.Format != StateFormat {
		return nil, fmt.Errorf("%w: %s: format %q, want %q", ErrState, where, st.Format, StateFormat)
	}
	for aid, a := range st.Apps {
		if a == nil || a.PINTries < 0 || a.PINTries > maxPINTryLimit {
			return nil, fmt.Errorf("%w: %s: application %s: bad PIN try counter", ErrState, where, aid)
		}
	}
	return &st, nil
}

// LoadState reads a state file, for tools and tests that inspect a card's
// counters.
func LoadState(path string) (*State, error) {
	return (&FileStore{Path: path}).Load()
}
