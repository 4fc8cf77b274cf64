LC_ALL=de_DE.UTF-8 "$NABLA" -o csv 'x/3' x=2.5
