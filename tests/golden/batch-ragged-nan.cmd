"$NABLA" --batch --on-error=nan 'x * y'
