cd "$GOLDEN_TMP" && echo ':load self.nb' > self.nb && printf 'a = 1\nb = a +* 2\nc = a * 3\n' > part.nb && printf ':load self.nb\n:load missing.nb\n:load part.nb\n:vars\n' | "$NABLA"
