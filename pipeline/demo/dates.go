package demo

import "time"

// day is a calendar date as a count of days since 1970-01-01 (proleptic
// Gregorian). The generator works in days only: integer arithmetic keeps it
// fast and exactly reproducible on every platform.
type day int32

const (
	noDay  day = -1 << 30 // "never" / "since always"
	maxDay day = 1 << 30  // "not yet" / "forever"
)

// mkday returns the day of y-m-d. Months and days out of range are
// normalised (month 13 = January of the next year), as time.Date does.
func mkday(y, m, d int) day {
	for m > 12 {
		m -= 12
		y++
	}
	for m < 1 {
		m += 12
		y--
	}
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := m + 9
	if m > 2 {
		mp = m - 3
	}
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return day(era*146097 + doe - 719468)
}

// civil returns the year, month and day of d.
func (d day) civil() (y, m, dd int) {
	z := int(d) + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	dd = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, dd
}

func (d day) year() int { y, _, _ := d.civil(); return y }

func (d day) month() int { _, m, _ := d.civil(); return m }

// weekday returns 0 for Monday … 6 for Sunday.
func (d day) weekday() int {
	w := (int(d) + 3) % 7 // 1970-01-01 was a Thursday
	if w < 0 {
		w += 7
	}
	return w
}

// addYears moves d by n calendar years; 29 February becomes 28 February in
// a common year.
func addYears(d day, n int) day {
	y, m, dd := d.civil()
	if m == 2 && dd == 29 && !leap(y+n) {
		dd = 28
	}
	return mkday(y+n, m, dd)
}

func leap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// age returns the completed years on date on of a person born on birth.
func age(birth, on day) int {
	by, bm, bd := birth.civil()
	y, m, d := on.civil()
	a := y - by
	if m < bm || (m == bm && d < bd) {
		a--
	}
	return a
}

// birthday returns the day a person born on birth turns n: the same month
// and day n years later (1 March for 29 February in a common year, which
// is what age counts).
func birthday(birth day, n int) day {
	y, m, d := birth.civil()
	if m == 2 && d == 29 && !leap(y+n) {
		return mkday(y+n, 3, 1)
	}
	return mkday(y+n, m, d)
}

func dayOf(t time.Time) day { return mkday(t.Year(), int(t.Month()), t.Day()) }

// appendDate appends d as YYYY-MM-DD.
func appendDate(b []byte, d day) []byte {
	y, m, dd := d.civil()
	b = append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-')
	b = append(b, byte('0'+m/10), byte('0'+m%10), '-')
	return append(b, byte('0'+dd/10), byte('0'+dd%10))
}

func (d day) String() string { return string(appendDate(nil, d)) }

// schoolDay moves a date that falls in the summer break (16 June – 14
// August) or on a weekend to the nearest plausible school day.
func schoolDay(d day) day {
	y, m, dd := d.civil()
	switch {
	case m == 6 && dd > 15, m == 7:
		d = mkday(y, 6, 12)
	case m == 8 && dd < 15:
		d = mkday(y, 8, 20)
	}
	switch d.weekday() {
	case 5:
		d-- // Saturday → Friday
	case 6:
		d++ // Sunday → Monday
	}
	return d
}
