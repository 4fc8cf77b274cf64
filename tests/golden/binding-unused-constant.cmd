"$NABLA" x e=2 x=1
