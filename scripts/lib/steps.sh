# Step times for Pantau's test scripts (sourced, not run). `step NAME` ends the step that runs and
# starts NAME, printing "==> NAME"; `steps_table TITLE` ends the last one and prints every step's
# minutes and the total, so drift in a CI run is seen in its log.
_step_name=""
_step_start=$SECONDS
_steps=()

step() {
  local now=$SECONDS
  if [ -n "$_step_name" ]; then
    _steps+=("$((now - _step_start))|$_step_name")
  fi
  _step_name="$1"
  _step_start=$now
  if [ -n "$1" ]; then echo "==> $1"; fi
}

steps_table() {
  step ""
  echo "==> $1: minutes per step"
  local entry
  for entry in "${_steps[@]}"; do
    awk -v s="${entry%%|*}" -v name="${entry#*|}" 'BEGIN { printf "%7.1f  %s\n", s / 60, name }'
  done
  awk -v s="$SECONDS" 'BEGIN { printf "%7.1f  total (wall clock)\n", s / 60 }'
}
