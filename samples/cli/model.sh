#!/bin/sh
# A stand-in for your model (a Python script, a Fortran binary ...): the logistic map x <- r x (1 - x) from x0,
# 500 steps. Arguments: r x0. Prints the final x and the mean of the orbit as one JSON object.
awk -v r="$1" -v x0="$2" 'BEGIN {
  x = x0; s = 0
  for (i = 0; i < 500; i++) { x = r * x * (1 - x); s += x }
  printf "{\"x\": %.6f, \"mean\": %.6f}\n", x, s / 500
}'
