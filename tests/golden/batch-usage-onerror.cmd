"$NABLA" --batch --on-error=ignore 'x'
