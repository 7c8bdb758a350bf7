package monitor

// Window returns the rows on screen: up to n rows of v from index offset
// (0 = newest). Its cost is O(n) whatever the ring retains. An offset past
// the end gives no rows; a negative one counts as 0.
func Window(v View, offset, n int) []Row {
	return AppendWindow(nil, v, offset, n)
}

// AppendWindow is Window appending to dst, so that a view redrawing at a
// steady rate can reuse one slice and not allocate.
func AppendWindow(dst []Row, v View, offset, n int) []Row {
	length := v.Len()
	offset = max(offset, 0)
	if offset >= length || n <= 0 {
		return dst
	}
	n = min(n, length-offset)
	if dst == nil {
		dst = make([]Row, 0, n)
	}
	for i := offset; i < offset+n; i++ {
		row, _ := v.At(i)
		dst = append(dst, row)
	}
	return dst
}

// ClampOffset brings offset back into v so that a window of n rows shows as
// many rows as there are: after a frozen view has shrunk, or a filter has
// left fewer rows than before.
func ClampOffset(v View, offset, n int) int {
	return max(0, min(offset, v.Len()-max(n, 1)))
}
