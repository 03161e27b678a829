package source

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// keyLines returns the 1-based line on which every key of a TOML text is
// defined: table headers ([a.b]), key/value pairs and the keys of inline
// tables, by their full path joined with "\x00". BurntSushi/toml (v1.6)
// keeps key positions to itself, so profile errors find their line here.
// The text must already have been decoded successfully: this scanner
// assumes valid TOML and does not report syntax errors.
func keyLines(src string) map[string]int {
	s := &tomlScan{src: src, line: 1, lines: map[string]int{}}
	s.document()
	return s.lines
}

type tomlScan struct {
	src   string
	pos   int
	line  int
	lines map[string]int
}

func pathKey(path []string) string { return strings.Join(path, "\x00") }

func (s *tomlScan) eof() bool { return s.pos >= len(s.src) }

func (s *tomlScan) peek() byte {
	if s.eof() {
		return 0
	}
	return s.src[s.pos]
}

// skipSpace skips blanks and, if newlines, line endings and comments.
func (s *tomlScan) skipSpace(newlines bool) {
	for !s.eof() {
		switch c := s.src[s.pos]; {
		case c == ' ' || c == '\t' || c == '\r':
			s.pos++
		case c == '\n' && newlines:
			s.pos++
			s.line++
		case c == '#' && newlines:
			for !s.eof() && s.src[s.pos] != '\n' {
				s.pos++
			}
		default:
			return
		}
	}
}

func (s *tomlScan) skipLine() {
	for !s.eof() && s.src[s.pos] != '\n' {
		s.pos++
	}
}

// record notes the line of a key path and of its parents not seen
// before (tables defined implicitly by [a.b] or a.b = 1).
func (s *tomlScan) record(path []string, line int) {
	for n := len(path); n > 0; n-- {
		k := pathKey(path[:n])
		if _, ok := s.lines[k]; ok {
			return
		}
		s.lines[k] = line
	}
}

func (s *tomlScan) document() {
	var table []string
	for {
		s.skipSpace(true)
		if s.eof() {
			return
		}
		if s.peek() == '[' {
			s.pos++
			array := s.peek() == '['
			if array {
				s.pos++
			}
			line := s.line
			key := s.key()
			table = key
			s.record(table, line)
			s.skipLine()
			continue
		}
		line := s.line
		key := s.key()
		path := append(append([]string(nil), table...), key...)
		s.record(path, line)
		s.skipSpace(false)
		if s.peek() == '=' {
			s.pos++
		}
		s.value(path)
		s.skipLine()
	}
}

// key reads a dotted key up to '=' or ']' (not consumed).
func (s *tomlScan) key() []string {
	var parts []string
	for {
		s.skipSpace(false)
		switch c := s.peek(); {
		case c == '"':
			parts = append(parts, s.basic())
		case c == '\'':
			parts = append(parts, s.literal())
		default:
			start := s.pos
			for !s.eof() {
				c := s.src[s.pos]
				if c == '.' || c == '=' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r' {
					break
				}
				s.pos++
			}
			parts = append(parts, s.src[start:s.pos])
		}
		s.skipSpace(false)
		if s.peek() != '.' {
			return parts
		}
		s.pos++
	}
}

// value skips one value; keys of inline tables are recorded under path.
func (s *tomlScan) value(path []string) {
	s.skipSpace(false)
	switch s.peek() {
	case '"':
		s.basic()
	case '\'':
		s.literal()
	case '[':
		s.pos++
		for {
			s.skipSpace(true)
			if s.eof() {
				return
			}
			if s.peek() == ']' {
				s.pos++
				return
			}
			at := s.pos
			s.value(path)
			s.skipSpace(true)
			if s.peek() == ',' {
				s.pos++
			}
			if s.pos == at { // not TOML this scanner knows: never loop
				s.pos++
			}
		}
	case '{':
		s.pos++
		for {
			s.skipSpace(true)
			if s.eof() {
				return
			}
			if s.peek() == '}' {
				s.pos++
				return
			}
			if s.peek() == ',' {
				s.pos++
				continue
			}
			at, line := s.pos, s.line
			key := s.key()
			sub := append(append([]string(nil), path...), key...)
			s.record(sub, line)
			s.skipSpace(false)
			if s.peek() == '=' {
				s.pos++
			}
			s.value(sub)
			if s.pos == at { // not TOML this scanner knows: never loop
				s.pos++
			}
		}
	default:
		for !s.eof() {
			c := s.src[s.pos]
			if c == ',' || c == ']' || c == '}' || c == '#' || c == '\n' || c == ' ' || c == '\t' || c == '\r' {
				return
			}
			s.pos++
		}
	}
}

// basic reads a basic string ("…" or """…""") and returns its text.
func (s *tomlScan) basic() string {
	multi := strings.HasPrefix(s.src[s.pos:], `"""`)
	if multi {
		s.pos += 3
	} else {
		s.pos++
	}
	var b strings.Builder
	for !s.eof() {
		c := s.src[s.pos]
		switch {
		case c == '"' && (!multi || strings.HasPrefix(s.src[s.pos:], `"""`)):
			if multi {
				s.pos += 3
				for s.peek() == '"' { // up to two quotes may end the text
					b.WriteByte('"')
					s.pos++
				}
			} else {
				s.pos++
			}
			return b.String()
		case c == '\\' && s.pos+1 < len(s.src):
			s.pos++
			e := s.src[s.pos]
			s.pos++
			switch e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'e':
				b.WriteByte(0x1b)
			case 'x', 'u', 'U':
				n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
				if s.pos+n <= len(s.src) {
					if v, err := strconv.ParseUint(s.src[s.pos:s.pos+n], 16, 32); err == nil {
						b.WriteRune(rune(v))
					}
					s.pos += n
				}
			case '\n', ' ', '\t', '\r': // line-ending backslash
				if e == '\n' {
					s.line++
				}
				for !s.eof() && strings.IndexByte(" \t\r\n", s.src[s.pos]) >= 0 {
					if s.src[s.pos] == '\n' {
						s.line++
					}
					s.pos++
				}
			default:
				b.WriteByte(e)
			}
		default:
			if c == '\n' {
				s.line++
			}
			_, size := utf8.DecodeRuneInString(s.src[s.pos:])
			b.WriteString(s.src[s.pos : s.pos+size])
			s.pos += size
		}
	}
	return b.String()
}

// literal reads a literal string ('…' or ”'…”') and returns its text.
func (s *tomlScan) literal() string {
	delim := "'"
	if strings.HasPrefix(s.src[s.pos:], "'''") {
		delim = "'''"
	}
	s.pos += len(delim)
	end := strings.Index(s.src[s.pos:], delim)
	if end < 0 {
		end = len(s.src) - s.pos
	}
	text := s.src[s.pos : s.pos+end]
	s.line += strings.Count(text, "\n")
	s.pos += end + len(delim)
	if delim == "'''" {
		for s.peek() == '\'' {
			text += "'"
			s.pos++
		}
	}
	return text
}
