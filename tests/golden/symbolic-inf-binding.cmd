"$NABLA" --symbolic 'x*y' x=0 y=inf | "$NABLA" -o csv -f -
