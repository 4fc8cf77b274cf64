"$NABLA" --batch --on-error=nan 'x*2'
