"$NABLA" --sweep x=0:1:3 x batch-ext.tsv
