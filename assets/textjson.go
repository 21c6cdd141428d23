package assets

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// textJSON is a Text as it is kept in a file: its key and its placeholder
// values, so it reads in any language when it is loaded again.
type textJSON struct {
	Key  string                     `json:"key"`
	Args map[string]json.RawMessage `json:"args,omitempty"`
}

// MarshalJSON keeps t as its key and placeholder values. A value that is a
// Text is kept the same way; a value that renders itself (an error of the
// program's) is kept in English words, any other error as its message;
// numbers, strings and booleans as they are.
func (t Text) MarshalJSON() ([]byte, error) {
	j := struct {
		Key  string         `json:"key"`
		Args map[string]any `json:"args,omitempty"`
	}{Key: t.Key}
	for k, v := range t.Data {
		if j.Args == nil {
			j.Args = make(map[string]any, len(t.Data))
		}
		j.Args[k] = storable(v)
	}
	return json.Marshal(j)
}

func storable(v any) any {
	switch x := v.(type) {
	case Text:
		return x
	case Localizable:
		return x.In(DefaultLang)
	case error:
		return x.Error()
	case fmt.Stringer:
		return x.String()
	}
	return v
}

// UnmarshalJSON reads a Text kept by MarshalJSON. Whole numbers come back
// as int64 (so plural forms choose as before), other numbers as float64,
// and a value kept as a Text as a Text.
func (t *Text) UnmarshalJSON(b []byte) error {
	var j textJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*t = Text{Key: j.Key}
	for k, raw := range j.Args {
		v, err := loadArg(raw)
		if err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
		if t.Data == nil {
			t.Data = make(map[string]any, len(j.Args))
		}
		t.Data[k] = v
	}
	return nil
}

func loadArg(raw json.RawMessage) (any, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '{' {
		var t Text
		err := t.UnmarshalJSON(raw)
		return t, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if n, ok := v.(json.Number); ok {
		if i, err := n.Int64(); err == nil {
			return i, nil
		}
		return n.Float64()
	}
	return v, nil
}
