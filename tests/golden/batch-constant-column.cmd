printf 'e,x\n2,1\n' | "$NABLA" --batch 'e*x'
