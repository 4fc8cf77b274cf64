"$NABLA" --symbolic 't1 = x * df_dx; grad_q = t1 * t1; u_x = grad_q + 1'
