"$NABLA" "x*2" x=1e999
