"$NABLA" -o csv 'sum(log(x),log(x),log(x),log(x),log(x),log(x),log(x),log(x),log(x),log(x),log(x),log(x),log(x),log(x),log(x),log(x),log(x),log(x),log(x),log(x),log(x),log(x))' x=-1
