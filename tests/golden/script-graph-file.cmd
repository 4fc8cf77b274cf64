printf 'x = 2; f = x * x\n:graph f > %s/g.dot\n' "$GOLDEN_TMP" | "$NABLA" && cat "$GOLDEN_TMP/g.dot"
