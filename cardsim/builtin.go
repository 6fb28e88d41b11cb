package cardsim

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/yixin-emv/yixin/testdata/profiles"
)

// DefaultProfile is the profile "yixin card new" uses without --profile.
const DefaultProfile = "dual-cn"

// BuiltinProfiles returns the names of the profiles that ship with yixin
// (the JSON files of testdata/profiles), sorted.
func BuiltinProfiles() []string {
	entries, err := fs.ReadDir(profiles.FS, ".")
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".json"); ok {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names
}

// BuiltinProfile parses the profile of that name that ships with yixin.
func BuiltinProfile(name string) (*Profile, error) {
	b, err := fs.ReadFile(profiles.FS, name+".json")
	if err != nil {
		return nil, fmt.Errorf("cardsim: no built-in profile %q (have %s)", name, strings.Join(BuiltinProfiles(), ", "))
	}
	p, err := ParseProfileBytes(b)
	if err != nil {
		return nil, err
	}
	if p.Name != name {
		return nil, fmt.Errorf("%w: built-in profile file %s.json is named %q", ErrProfile, name, p.Name)
	}
	return p, nil
}
