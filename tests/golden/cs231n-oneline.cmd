"$NABLA" --precision 10 '(x + sigmoid(y)) / (sigmoid(x) + (x + y)^2)' x=3 y=-4
