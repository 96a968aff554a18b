# Given for docs/annotations.md's check commands: Grace Hopper's file, as `labbook annotate` writes it.
labbook annotate --run "$BASELINE" --trace "$TRACE" --label verdict=approved --author "Grace Hopper" > /dev/null
