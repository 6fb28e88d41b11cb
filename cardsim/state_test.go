package cardsim

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yixin-emv/yixin/apdu"
)

func TestFileStore(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "card.json.state")
	fs1 := &FileStore{Path: path}
	if _, err := fs1.Load(); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("empty store: %v, want fs.ErrNotExist", err)
	}
	st := &State{Format: StateFormat, CardID: "00", Apps: map[string]*AppState{"A0": {ATC: 7, PINTries: 3}}}
	if err := fs1.Save(st); err != nil {
		t.Fatal(err)
	}
	// A crash between CreateTemp and Rename leaves a temporary file.
	leftover := filepath.Join(dir, ".card.json.state.tmp-123")
	if err := os.WriteFile(leftover, []byte("{half"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := fs1.Load()
	if err != nil || got.Apps["A0"].ATC != 7 {
		t.Fatalf("Load: %+v, %v", got, err)
	}
	if _, err := os.Stat(leftover); !errors.Is(err, fs.ErrNotExist) {
		t.Error("Load left the temporary file of an interrupted Save")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d files after Save, want only the state", len(entries))
	}
}

func TestStateRejects(t *testing.T) {
	tests := []struct{ name, json string }{
		{"not JSON", "{"},
		{"wrong format", `{"format":"other","card_id":"00","generation":1,"applications":{}}`},
		{"unknown field", `{"format":"yixin-card-state/1","card_id":"00","generation":1,"applications":{},"x":1}`},
		{"PIN try counter out of range", `{"format":"yixin-card-state/1","card_id":"00","generation":1,"applications":{"A0":{"atc":1,"last_online_atc":0,"pin_tries":16,"offline_count":0,"offline_amount":0}}}`},
		{"null application", `{"format":"yixin-card-state/1","card_id":"00","generation":1,"applications":{"A0":null}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "s")
			os.WriteFile(path, []byte(tt.json), 0o600)
			if _, err := LoadState(path); !errors.Is(err, ErrState) {
				t.Errorf("LoadState: %v, want ErrState", err)
			}
		})
	}
}

// TestStateOtherCard refuses a state file of another card.
func TestStateOtherCard(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state")
	if _, err := New(goldenCard(t, "sda"), &Options{Store: &FileStore{Path: path}}); err != nil {
		t.Fatal(err)
	}
	_, err := New(goldenCard(t, "dda"), &Options{Store: &FileStore{Path: path}})
	if !errors.Is(err, ErrState) || !strings.Contains(err.Error(), "belongs to card") {
		t.Fatalf("New with another card's state: %v", err)
	}
}

// TestStatePersists checks that counters survive a restart of the card.
func TestStatePersists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state")
	cf := goldenCard(t, "dual-cn")
	c, err := New(cf, &Options{Store: &FileStore{Path: path}})
	if err != nil {
		t.Fatal(err)
	}
	r := startTxn(t, c, "domestic", nil)
	r.verifyPIN("0000")
	ac := r.genAC1(apdu.RefControlARQC)
	c2, err := New(cf, &Options{Store: &FileStore{Path: path}})
	if err != nil {
		t.Fatal(err)
	}
	st := c2.State().Apps["A000000333010102"]
	if st.ATC != uint16(ac.atc[0])<<8|uint16(ac.atc[1]) || st.PINTries != 2 || !st.LastOnlineNotCompleted {
		t.Errorf("state after restart: %+v", *st)
	}
}

// failingStore fails every Save once armed.
type failingStore struct {
	MemoryStore
	fail bool
}

func (f *failingStore) Save(st *State) error {
	if f.fail {
		return errors.New("disk full")
	}
	return f.MemoryStore.Save(st)
}

// TestSaveFailure: when the state cannot be saved the card answers 6581
// and gives no cryptogram, and the ATC it took is never given out again.
func TestSaveFailure(t *testing.T) {
	store := &failingStore{}
	c, err := New(goldenCard(t, "dual-cn"), &Options{Store: store})
	if err != nil {
		t.Fatal(err)
	}
	tm := newTerm(t, c)
	tm.send(mustHex(hexSelectDom))
	store.fail = true
	if _, sw := tm.send(mustHex(hexGPODom)); sw != swMemoryFailure {
		t.Fatalf("GPO with a failing store: %s, want 6581", sw)
	}
	if _, sw := tm.send(mustHex("0020008008241234FFFFFFFFFF")); sw != swMemoryFailure {
		t.Fatalf("VERIFY with a failing store: %s, want 6581", sw)
	}
	store.fail = false
	tm.send(mustHex(hexSelectDom))
	tm.send(mustHex(hexGPODom))
	if got := c.State().Apps["A000000333010102"].ATC; got != 2 {
		t.Errorf("ATC %d, want 2: the ATC of the failed GPO must not be reused", got)
	}
	saved, _ := store.Load()
	if saved.Apps["A000000333010102"].PINTries != 2 {
		t.Errorf("saved PIN try counter %d: the failed VERIFY's try must count", saved.Apps["A000000333010102"].PINTries)
	}
}
