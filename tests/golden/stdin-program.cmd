"$NABLA" -o csv -f - x=2
