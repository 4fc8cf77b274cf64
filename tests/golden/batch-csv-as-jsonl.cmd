printf 'x,y\n1,2\n' | "$NABLA" --batch --input=jsonl 'x*y'
