package demo

// pnr is a synthetic personnummer: a birth date, a three-digit serial
// (whose last digit is odd for men) and the Luhn check digit. Samordning
// marks a samordningsnummer, written with the day plus 60.
type pnr struct {
	birth      day
	serial     int // 0–999
	samordning bool
}

// pnrFormat is how a personnummer is written.
type pnrFormat uint8

const (
	fmtLong   pnrFormat = iota // YYYYMMDD-NNNC
	fmtShort                   // YYMMDD-NNNC
	fmtDigits                  // YYYYMMDDNNNC
)

// luhn returns the check digit over the ten digits YYMMDDNNN: digits are
// weighted 2,1,2,1,… from the left, the digits of the products summed, and
// the check digit brings the sum to a multiple of ten.
func luhn(d *[9]byte) byte {
	sum := 0
	for i, c := range d {
		v := int(c)
		if i%2 == 0 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return byte((10 - sum%10) % 10)
}

// digits returns the nine digits YYMMDDNNN as values 0–9.
func (p pnr) digits() (d [9]byte) {
	y, m, dd := p.birth.civil()
	if p.samordning {
		dd += 60
	}
	d[0], d[1] = byte(y/10%10), byte(y%10)
	d[2], d[3] = byte(m/10), byte(m%10)
	d[4], d[5] = byte(dd/10), byte(dd%10)
	d[6], d[7], d[8] = byte(p.serial/100), byte(p.serial/10%10), byte(p.serial%10)
	return d
}

func (p pnr) check() byte { d := p.digits(); return luhn(&d) }

// male reports the sex the personnummer encodes: odd second-to-last digit.
func (p pnr) male() bool { return p.serial%2 == 1 }

// appendTo writes the number in format f. A wrong check digit is written
// when badCheck is set (for the deliberately bad rows only).
func (p pnr) appendTo(b []byte, f pnrFormat, badCheck bool) []byte {
	d := p.digits()
	c := luhn(&d)
	if badCheck {
		c = (c + 1) % 10
	}
	if f != fmtShort {
		y := p.birth.year()
		b = append(b, byte('0'+y/1000), byte('0'+y/100%10))
	}
	for i := 0; i < 6; i++ {
		b = append(b, '0'+d[i])
	}
	if f != fmtDigits {
		b = append(b, '-')
	}
	return append(b, '0'+d[6], '0'+d[7], '0'+d[8], '0'+c)
}
