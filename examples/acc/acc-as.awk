# acc-as.awk: a two-pass assembler for the acc example ISA (acc.c).
#   awk -f acc-as.awk prog.acc prog.acc > prog.esc   (two passes: the file twice)
#   printf "$(cat prog.esc)" > prog.bin
# The output is the image as printf octal escapes (\ooo), one per byte.
# Source: "label:", "NAME = number", "MNEMONIC [operand]", ".word number",
# ';' comments.  Operands: numbers (decimal, 0x hex, negative), 'c'
# characters, names.  The image starts at address 0.
BEGIN {
    split("LDI LD ST STB ADDI ADD SUB JMP JZ JNZ WAIT EI RETI", names, " ")
    for (i = 1; i in names; i++) op[names[i]] = i
}
function die(msg) { printf "acc-as: line %d: %s\n", FNR, msg > "/dev/stderr"; exit 1 }
function value(s) {
    if (s ~ /^'.'$/) return ord[substr(s, 2, 1)]
    if (s ~ /^-?0x[0-9a-fA-F]+$/) {
        neg = s ~ /^-/; sub(/^-?0x/, "", s); v = 0
        for (k = 1; k <= length(s); k++) v = v * 16 + index("0123456789abcdef", tolower(substr(s, k, 1))) - 1
        return neg ? -v : v
    }
    if (s ~ /^-?[0-9]+$/) return s + 0
    if (s in sym) return sym[s]
    die("unknown name " s)
}
function emit(w) {
    if (w < 0) w += 4294967296
    for (k = 0; k < 4; k++) { printf "\\%03o", w % 256; w = int(w / 256) }
}
BEGIN { for (c = 32; c < 127; c++) ord[sprintf("%c", c)] = c }
{ sub(/[ \t]*;.*/, "") }
/^[ \t]*$/ { next }
# pass 1 (the first reading of the file): labels and constants
NR == FNR {
    if ($2 == "=") { sym[$1] = value($3); next }
    if ($1 ~ /:$/) { sym[substr($1, 1, length($1) - 1)] = pc; $1 = "" ; if (NF == 0 || $0 ~ /^[ \t]*$/) next }
    pc += 4; next
}
# pass 2: the words
{
    if ($2 == "=") next
    if ($1 ~ /:$/) { $1 = ""; $0 = $0; if (NF == 0) next }
    if ($1 == ".word") { emit(value($2)); next }
    if (!($1 in op)) die("unknown instruction " $1)
    n = NF > 1 ? value($2) : 0
    if (n < -8388608 || n > 16777215) die("operand " $2 " does not fit in 24 bits")
    if (n < 0) n += 16777216
    emit(n * 256 + op[$1])
}
