"$NABLA" --on-error=nan --batch
