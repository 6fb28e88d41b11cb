package kerneltest

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// mergePatch applies a JSON merge patch (RFC 7396) to a decoded JSON
// value: an object patch merges member by member, null deletes, anything
// else replaces.
func mergePatch(target any, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	t, ok := target.(map[string]any)
	if !ok {
		t = map[string]any{}
	}
	for k, v := range p {
		if v == nil {
			delete(t, k)
			continue
		}
		t[k] = mergePatch(t[k], v)
	}
	return t
}

// overlay merges a case of a group over the group's defaults: objects
// merge member by member, and anything else the case gives — arrays,
// strings, numbers, booleans and null — replaces the default. Unlike a
// merge patch, a null is kept (it means "remove" to the profile overrides
// it may end up in), so a case reads as what it says plus the defaults.
func overlay(base, top any) any {
	t, ok := top.(map[string]any)
	if !ok {
		return top
	}
	b, ok := base.(map[string]any)
	if !ok {
		return t
	}
	for k, v := range t {
		if _, isObj := v.(map[string]any); isObj {
			b[k] = overlay(b[k], v)
		} else {
			b[k] = v
		}
	}
	return b
}

// decodeJSON decodes b keeping numbers exact (json.Number).
func decodeJSON(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// patchStruct applies a merge patch to a value through its JSON form and
// decodes the result back into out (unknown members are errors).
func patchStruct(in any, patch json.RawMessage, out any) error {
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	doc, err := decodeJSON(b)
	if err != nil {
		return err
	}
	p, err := decodeJSON(patch)
	if err != nil {
		return fmt.Errorf("patch: %w", err)
	}
	b, err = json.Marshal(mergePatch(doc, p))
	if err != nil {
		return err
	}
	return decodeStrict(b, out)
}
