seq 1 200000 | sed "1s/.*/x/" | "$NABLA" --batch "x^2" | head -2
