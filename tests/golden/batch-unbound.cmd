"$NABLA" --batch 'a * x + b * y + c' c=1
