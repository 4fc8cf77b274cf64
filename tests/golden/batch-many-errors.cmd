awk 'BEGIN { print "x"; for (i = 1; i <= 25; i++) print "bad" i; print 2 }' | "$NABLA" --batch --on-error=nan --no-echo 'x^2'
