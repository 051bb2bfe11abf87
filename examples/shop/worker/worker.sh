#!/bin/sh
# Pretends to process orders, one every few seconds.
n=0
while true; do
  n=$((n + 1))
  echo "processed order $n for ${SHOP_NAME:-shop}"
  sleep "${WORK_INTERVAL:-5}"
done
