echo "x*2" | "$NABLA" --batch -f -
