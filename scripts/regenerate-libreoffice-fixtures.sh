#!/usr/bin/env bash
# Re-makes the LibreOffice-written spreadsheets under Tests/Fixtures/libreoffice with headless
# LibreOffice Calc (Debian's libreoffice-calc-nogui, installed when missing; needs root or sudo).
# Not run by CI: CI machines may lack LibreOffice, and the tests read the committed files.
# After running it, check `git diff --stat` and run the statistics parser tests; commit the files
# only if the tests still pass (or explain in the commit what LibreOffice now writes differently).
# A re-run rewrites every file, but with LibreOffice 7.4.7 only the zip entries' times change (the
# parts inside are byte for byte the same, the .xls entirely): `git checkout` the ones you did not mean
# to re-make.
#
#   libreoffice-resaved.xlsx     Tests/Fixtures/samples/bao-cao-thong-ke-vi-du.xlsx opened and saved as .xlsx
#   libreoffice.ods              the same sample saved as OpenDocument (.ods)
#   libreoffice-excel97.xls      the same sample saved as Excel 97–2003 (.xls)
#   libreoffice-formulas.xlsx    libreoffice-formulas.fods (hand-written, formulas without cached
#                                values) saved as .xlsx: LibreOffice computes and caches the results
#   libreoffice-rich-text.xlsx   libreoffice-rich-text.fods (hand-written: a bold run, a two-line label,
#                                figures typed as text) saved as .xlsx
#
# and under Tests/Fixtures/templates, three report templates that are not 643's, each as the office's
# blank file and as a unit's good, wrong and hostile upload, written by Tests/Fixtures/templates/fods.py
# as flat OpenDocument and saved as .xlsx by LibreOffice:
#   mau-a-15x3-dong-tong.xlsx    15 rows x 3 columns with a total row and a row of column numbers
#   mau-b-tieu-de-hai-dong.xlsx  a two-row merged header (years over Nam / Nữ), a cell marked "x"
#   mau-c-danh-sach-cot-tong.xlsx a list of cells with a total column, labels headed "Tên chi bộ"
#   mau-{a,b,c}-dung.xlsx, -sai.xlsx, -doc-hai.xlsx   the good, wrong and hostile uploads of each
#   mau-d-30x10.xlsx, mau-d-dung.xlsx   30 rows x 10 columns and a filled copy: bench/statistics-parse.sh
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

fixtures="$REPO_ROOT/Tests/Fixtures/libreoffice"
sample="$REPO_ROOT/Tests/Fixtures/samples/bao-cao-thong-ke-vi-du.xlsx"
[[ -f "$sample" ]] || die "the shared sample is missing: $sample"

if ! command -v soffice >/dev/null 2>&1; then
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  run_quiet apt-update $sudo apt-get update -qq
  run_quiet apt-libreoffice env DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libreoffice-calc-nogui
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A throwaway LibreOffice profile, so the user's own settings play no part; thumbnails off keeps
# the .ods small (LibreOffice otherwise adds a ~10 KB Thumbnails/thumbnail.png).
mkdir -p "$work/profile/user"
cat >"$work/profile/user/registrymodifications.xcu" <<'XCU'
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Save/Document"><prop oor:name="GenerateThumbnail" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
XCU

# save_as SOURCE FILTER TARGET: soffice names its output after the source and may exit 0 without
# writing it, so the output is looked for and moved to TARGET.
save_as() {
  local source=$1 filter=$2 target=$3 name
  name="$(basename "${source%.*}").${filter%%:*}"
  rm -rf "$work/out"
  run_quiet soffice env HOME="$work" soffice "-env:UserInstallation=file://$work/profile" \
    --headless --norestore --convert-to "$filter" --outdir "$work/out" "$source"
  [[ -s "$work/out/$name" ]] || die "LibreOffice wrote no $name from $source"
  mv "$work/out/$name" "$fixtures/$target"
}

mkdir -p "$work/in"
cp "$sample" "$work/in/sample.xlsx"
save_as "$work/in/sample.xlsx" xlsx libreoffice-resaved.xlsx
save_as "$work/in/sample.xlsx" ods libreoffice.ods
save_as "$work/in/sample.xlsx" "xls:MS Excel 97" libreoffice-excel97.xls
save_as "$fixtures/libreoffice-formulas.fods" xlsx libreoffice-formulas.xlsx
save_as "$fixtures/libreoffice-rich-text.fods" xlsx libreoffice-rich-text.xlsx

templates="$REPO_ROOT/Tests/Fixtures/templates"
mkdir -p "$work/templates"
python3 "$templates/fods.py" "$work/templates"
for source in "$work/templates"/*.fods; do
  name="$(basename "${source%.fods}")"
  rm -rf "$work/out"
  run_quiet soffice env HOME="$work" soffice "-env:UserInstallation=file://$work/profile" \
    --headless --norestore --convert-to xlsx --outdir "$work/out" "$source"
  [[ -s "$work/out/$name.xlsx" ]] || die "LibreOffice wrote no $name.xlsx"
  mv "$work/out/$name.xlsx" "$templates/$name.xlsx"
done
