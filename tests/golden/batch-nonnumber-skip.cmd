"$NABLA" --batch --on-error skip 'x * y'
