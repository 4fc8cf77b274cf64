"$NABLA" "x
+ y" x=1 y=2
