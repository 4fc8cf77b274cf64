"$NABLA" -o dot "(x + y) * z" x=-2 y=5 z=-4 | dot -Tsvg | grep -c "<svg"
