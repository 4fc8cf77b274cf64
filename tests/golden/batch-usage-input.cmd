"$NABLA" --batch --input xml 'x'
