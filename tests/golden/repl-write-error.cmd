printf 'f = x*2\nx = 1\n:grad f\n' | "$NABLA" > /dev/full
