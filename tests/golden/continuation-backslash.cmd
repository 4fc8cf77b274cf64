for o in table json csv tsv dot; do "$NABLA" -o $o 'f = sin(x) *\
  y' x=2 y=3 || exit; done; "$NABLA" --explain 'f = sin(x) *\
  y' x=2 y=3
