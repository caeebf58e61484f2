# A UTF-8 byte order mark is accepted and takes no column.
printf '\357\273\277rationale r for nowhere { }\n' > bom.loss
"$LOSSC" lint bom.loss
