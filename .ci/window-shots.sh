#!/usr/bin/env bash
# Screenshots of every area in the real window under Xvfb, at 960×640 and 1366×800, in the
# light and dark themes: .cache/artifacts/window-<area>-<width>-<theme>.png. The areas are
# reached by clicking the navigation, as a writer does.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
out="$CACHE/artifacts"
mkdir -p "$out"
BIN="$ROOT/build/bin/npcstudio"
for theme in dark light; do
  for size in 960x640 1366x800; do
    data=$(mktemp -d)
    "$BIN" --data-dir "$data" settings set --theme "$theme" >/dev/null
    "$BIN" --data-dir "$data" persona create --name "Mira Saltwhistle" --from-file testdata/persona/personas/mira.json >/dev/null
    export W=${size%x*} H=${size#*x} THEME=$theme DATA=$data OUT=$out BIN
    xvfb-run -a -s "-screen 0 ${W}x${H}x24" bash -c '
      "$BIN" --data-dir "$DATA" & pid=$!
      for i in $(seq 1 120); do
        grep -q "window ready" "$DATA/logs/npcstudio.log" 2>/dev/null && break
        sleep 0.25
      done
      wid=$(xdotool search --sync --name "NPC Studio" | head -1)
      xdotool windowmove "$wid" 0 0 windowsize "$wid" "$W" "$H"
      sleep 1.5
      # navigation rows: icons only below 1100 wide, icon and label above
      if [ "$W" -lt 1100 ]; then x=28; y0=74; step=41; else x=70; y0=72; step=37; fi
      i=0
      for area in personas chat lore batch tests datasets cloud models workspace; do
        xdotool mousemove $x $((y0 + step * i)) click 1
        xdotool mousemove $((W - 4)) $((H / 2)) # no tooltip in the picture
        sleep 1.2
        import -window root "$OUT/window-$area-$W-$THEME.png"
        i=$((i + 1))
      done
      xdotool mousemove $x $((H - 26 - 32)) click 1
      xdotool mousemove $((W - 4)) $((H / 2))
      sleep 1.2
      import -window root "$OUT/window-settings-$W-$THEME.png"
      kill $pid; wait $pid || true
    '
    rm -rf "$data"
  done
done
log "window screenshots in $out/window-*.png"
