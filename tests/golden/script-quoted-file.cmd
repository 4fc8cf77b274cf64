printf 'f = x*2\nx = 3\n:save "%s/a file.nb"\n' "$GOLDEN_TMP" | "$NABLA" && cd "$GOLDEN_TMP" && printf ':load "a file.nb"\n:defs\n:grad f\n:load "a file.nb\n' | "$NABLA"
