"$NABLA" -o csv "x*2" x=-inf
