module github.com/yixin-emv/yixin

go 1.26.0

require (
	github.com/ebfe/scard v0.0.0-20230420082256-7db3f9b7c8a7
	github.com/emmansun/gmsm v0.30.1
	github.com/moov-io/bertlv v0.1.0
)

require golang.org/x/crypto v0.59.0 // indirect
