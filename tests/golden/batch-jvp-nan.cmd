"$NABLA" --batch --on-error=nan --jvp x=1,y=1 'x*y' batch-jvp-bad.csv
