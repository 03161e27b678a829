package personnummer

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
)

// MinKeyLen is the shortest accepted pseudonymisation key, in bytes.
const MinKeyLen = 16

// DemoKey is a PUBLIC key, for the built-in demo data only. Pseudonyms made
// with it are not secret: never use it for real data.
const DemoKey = "DEMO-KEY-not-for-real-data-0000"

// KeyEnv is the environment variable LoadKey falls back to.
const KeyEnv = "KAA_PSEUDO_KEY"

// ErrNoKey is returned by LoadKey when neither a key file nor KeyEnv is
// given.
var ErrNoKey = errors.New("no pseudonymisation key: give --key-file or set " + KeyEnv)

// ErrShortKey is returned for a key shorter than MinKeyLen bytes.
var ErrShortKey = fmt.Errorf("pseudonymisation key too short (need at least %d bytes)", MinKeyLen)

// Pseudonymizer turns Numbers into keyed pseudonyms. It is safe for
// concurrent use.
type Pseudonymizer struct {
	key []byte
}

// NewPseudonymizer returns a Pseudonymizer for key (copied), which must be
// at least MinKeyLen bytes long (else an error wrapping ErrShortKey).
func NewPseudonymizer(key []byte) (*Pseudonymizer, error) {
	if len(key) < MinKeyLen {
		return nil, ErrShortKey
	}
	return &Pseudonymizer{key: append([]byte(nil), key...)}, nil
}

// Pseudonym returns the person's pseudonym: the lowercase hex of the first
// 16 bytes of HMAC-SHA-256(key, "person:" + n.Canonical()), 32 characters.
// The same number and key always give the same pseudonym.
func (p *Pseudonymizer) Pseudonym(n Number) string {
	m := p.mac("person:", n)
	return string(m[:])
}

// Blockmark returns a mark for remembering a skyddad person without storing
// their pseudonym: the same construction as Pseudonym with the domain
// "skyddad:" instead of "person:", so it cannot be joined to pseudonyms.
func (p *Pseudonymizer) Blockmark(n Number) string {
	m := p.mac("skyddad:", n)
	return string(m[:])
}

// Mark is a pseudonym or a blockmark as its hex digits in a fixed array,
// for holding many without pointers (see Marks).
type Mark [32]byte

// Marks returns Pseudonym(n) and Blockmark(n) as Marks.
func (p *Pseudonymizer) Marks(n Number) (pseudonym, blockmark Mark) {
	return p.mac("person:", n), p.mac("skyddad:", n)
}

func (p *Pseudonymizer) mac(domain string, n Number) Mark {
	h := hmac.New(sha256.New, p.key)
	h.Write([]byte(domain))
	h.Write([]byte(n.Canonical()))
	var sum [sha256.Size]byte
	var m Mark
	hex.Encode(m[:], h.Sum(sum[:0])[:len(m)/2])
	return m
}

// LoadKey returns the pseudonymisation key. If path is not empty the key is
// the content of that file with trailing white space (newline) removed;
// otherwise it is the value of the environment variable KAA_PSEUDO_KEY read
// through getenv (os.Getenv when nil), trailing white space removed too.
// With neither it returns ErrNoKey; a key shorter than MinKeyLen bytes gives
// an error wrapping ErrShortKey. Error messages never contain the key.
func LoadKey(path string, getenv func(string) string) ([]byte, error) {
	var key string
	switch {
	case path != "":
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("reading key file: %w", err)
		}
		key = strings.TrimRight(string(b), " \t\r\n")
		if len(key) < MinKeyLen {
			return nil, fmt.Errorf("key file %s: %w", path, ErrShortKey)
		}
	default:
		if getenv == nil {
			getenv = os.Getenv
		}
		key = strings.TrimRight(getenv(KeyEnv), " \t\r\n")
		if key == "" {
			return nil, ErrNoKey
		}
		if len(key) < MinKeyLen {
			return nil, fmt.Errorf("%s: %w", KeyEnv, ErrShortKey)
		}
	}
	return []byte(key), nil
}
