"$NABLA" 'x*2' =3
