# CRLF line ends are accepted and columns stay right (the \r is not a column).
printf 'goal g {\r\n    about "caf\303\251";\r\n}\r\nrationale r for g {\r\n    uses missing;\r\n}\r\n' > crlf.loss
"$LOSSC" lint crlf.loss
