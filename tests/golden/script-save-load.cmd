{ cat; printf ':save %s\n' "$GOLDEN_TMP/s.nb"; } | "$NABLA" && cd "$GOLDEN_TMP" && cat s.nb && "$NABLA" -o csv -f s.nb && printf ':load s.nb\n:vars\n:defs\n:format csv\n:grad L\n' | "$NABLA"
