"$NABLA" --hessian
