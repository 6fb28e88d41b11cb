package oda

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/yixin-emv/yixin/emv"
)

// ErrImage is wrapped by every error about a malformed card image.
var ErrImage = errors.New("malformed card image")

// MaxImageSize bounds the card image files ParseImages reads.
const MaxImageSize = 8 << 20

// Hex is a byte string written in JSON as hex: upper case when written,
// either case (no separators) when read.
type Hex []byte

// MarshalText writes upper-case hex.
func (h Hex) MarshalText() ([]byte, error) {
	return []byte(strings.ToUpper(hex.EncodeToString(h))), nil
}

// UnmarshalText reads hex.
func (h *Hex) UnmarshalText(b []byte) error {
	v, err := hex.DecodeString(string(b))
	if err != nil {
		return fmt.Errorf("%q is not hex", b)
	}
	*h = v
	return nil
}

// Image is a card image: what a terminal read from one application, in
// the JSON form `yixin oda verify` checks and `yixin card read` writes:
//
//	{
//	  "aid": "A0000000041010",
//	  "aip": "1980",
//	  "afl": "08010100…",
//	  "records": [{"sfi": 2, "record": 1, "data": "7081A6…"}],
//	  "dda": {"ddol_data": "…", "internal_authenticate_response": "80…"},
//	  "cda": {"pdol_data": "", "cdol1_data": "…", "genac_response": "77…", "un": "…"}
//	}
//
// Records hold the READ RECORD response data as read (without the status
// word), and so do the two responses. "dda" and "cda" are optional; "un"
// is the unpredictable number of the GENERATE AC command (see
// ImageCDA.Unpredictable). Members this package does not know are ignored,
// so that images may carry more.
type Image struct {
	AID     Hex           `json:"aid"`
	AIP     Hex           `json:"aip"`
	AFL     Hex           `json:"afl"`
	Records []ImageRecord `json:"records"`
	DDA     *ImageDDA     `json:"dda,omitempty"`
	CDA     *ImageCDA     `json:"cda,omitempty"`
}

// ImageRecord is one record of an image.
type ImageRecord struct {
	SFI    int `json:"sfi"`
	Record int `json:"record"`
	Data   Hex `json:"data"`
}

// ImageDDA is an INTERNAL AUTHENTICATE exchange: the DDOL data sent and the
// response data received.
type ImageDDA struct {
	DDOLData Hex `json:"ddol_data"`
	Response Hex `json:"internal_authenticate_response"`
}

// ImageCDA is a first GENERATE AC exchange with CDA requested.
type ImageCDA struct {
	PDOLData      Hex `json:"pdol_data"`
	CDOL1Data     Hex `json:"cdol1_data"`
	GenACResponse Hex `json:"genac_response"`
	UN            Hex `json:"un,omitempty"`
}

// Unpredictable returns the unpredictable number the terminal sent: "un"
// when the image gives it; otherwise the CDOL1 data's 9F37 field when the
// card's CDOL1 (8C) is known and lists it; otherwise the last 4 bytes of
// the CDOL1 data. (The last rule alone would be wrong for most cards, whose
// CDOL1 has 9F37 in the middle — the published CDA vector among them.)
func (c *ImageCDA) Unpredictable(cdol1 []byte) []byte {
	if len(c.UN) > 0 {
		return c.UN
	}
	if d, err := emv.ParseDOL(cdol1); err == nil && d.Contains(0x9F37) {
		if fields, err := d.Split(c.CDOL1Data); err == nil {
			for _, f := range fields {
				if f.Tag == 0x9F37 {
					return f.Value
				}
			}
		}
	}
	return c.CDOL1Data[max(len(c.CDOL1Data)-4, 0):]
}

// ParseImages reads a card image file: either one image or
// {"applications": [image, …]}. Every image is validated.
func ParseImages(r io.Reader) ([]Image, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxImageSize+1))
	if err != nil {
		return nil, fmt.Errorf("oda: card image: %w", err)
	}
	if len(data) > MaxImageSize {
		return nil, fmt.Errorf("oda: card image: %w: larger than %d bytes", ErrImage, MaxImageSize)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("oda: card image: %w: %v", ErrImage, err)
	}
	raw := []json.RawMessage{data}
	apps, multi := top["applications"]
	if multi {
		if err := json.Unmarshal(apps, &raw); err != nil {
			return nil, fmt.Errorf("oda: card image: %w: applications: %v", ErrImage, err)
		}
		if len(raw) == 0 {
			return nil, fmt.Errorf("oda: card image: %w: no applications", ErrImage)
		}
	}
	out := make([]Image, len(raw))
	for i, m := range raw {
		where := ""
		if multi {
			where = fmt.Sprintf("applications[%d]: ", i)
		}
		if err := json.Unmarshal(m, &out[i]); err != nil {
			return nil, fmt.Errorf("oda: card image: %w: %s%v", ErrImage, where, err)
		}
		if err := out[i].Validate(); err != nil {
			return nil, fmt.Errorf("oda: card image: %w: %s%v", ErrImage, where, err)
		}
	}
	return out, nil
}

// Validate checks an image's shape: AID of 5–16 bytes, AIP of 2, a valid
// AFL, records of SFI 1–30 and number 1–255 listed once each, responses
// present in dda and cda, a 4-byte un.
func (img *Image) Validate() error {
	switch {
	case len(img.AID) < 5 || len(img.AID) > 16:
		return fmt.Errorf("aid of %d bytes, want 5 to 16", len(img.AID))
	case len(img.AIP) != 2:
		return fmt.Errorf("aip of %d bytes, want 2", len(img.AIP))
	}
	if _, err := emv.ParseAFL(img.AFL); err != nil {
		return fmt.Errorf("afl: %v", err)
	}
	seen := map[[2]int]bool{}
	for i, r := range img.Records {
		switch {
		case r.SFI < 1 || r.SFI > 30:
			return fmt.Errorf("records[%d]: sfi %d is outside 1–30", i, r.SFI)
		case r.Record < 1 || r.Record > 255:
			return fmt.Errorf("records[%d]: record %d is outside 1–255", i, r.Record)
		case len(r.Data) == 0:
			return fmt.Errorf("records[%d]: no data", i)
		case seen[[2]int{r.SFI, r.Record}]:
			return fmt.Errorf("records[%d]: SFI %d record %d listed twice", i, r.SFI, r.Record)
		}
		seen[[2]int{r.SFI, r.Record}] = true
	}
	if img.DDA != nil && len(img.DDA.Response) == 0 {
		return errors.New("dda: internal_authenticate_response is empty")
	}
	if c := img.CDA; c != nil {
		if len(c.GenACResponse) == 0 {
			return errors.New("cda: genac_response is empty")
		}
		if len(c.UN) != 0 && len(c.UN) != 4 {
			return fmt.Errorf("cda: un of %d bytes, want 4", len(c.UN))
		}
	}
	return nil
}

// records returns the image's records in the form StaticData takes.
func (img *Image) records() []Record {
	out := make([]Record, len(img.Records))
	for i, r := range img.Records {
		out[i] = Record{SFI: r.SFI, Number: r.Record, Data: r.Data}
	}
	return out
}

// MarshalImages writes images in the file form ParseImages reads: one image
// alone, several under "applications".
func MarshalImages(imgs []Image) ([]byte, error) {
	var v any = imgs
	if len(imgs) == 1 {
		v = imgs[0]
	} else {
		v = struct {
			Applications []Image `json:"applications"`
		}{imgs}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
