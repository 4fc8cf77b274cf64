seq 1 50000 | sed "1s/.*/x/" | "$NABLA" --batch "x^2" >/dev/full
